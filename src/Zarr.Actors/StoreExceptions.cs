namespace Zarr.Actors;

/// <summary>A key or prefix breaks the key rules, or would make a name both a key and a directory.</summary>
public class InvalidKeyException : ArgumentException
{
    public InvalidKeyException(string message) : base(message)
    {
    }

    public InvalidKeyException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    // Akka rebuilds an exception that crossed the wire in a Status.Failure through this constructor;
    // without it the caller on the other node would get a failure with no cause at all.
#pragma warning disable SYSLIB0051
    private InvalidKeyException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context) : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}

/// <summary>A write on a store opened read-only.</summary>
public class ReadOnlyStoreException : InvalidOperationException
{
    public ReadOnlyStoreException(string message) : base(message)
    {
    }

    public ReadOnlyStoreException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    // Akka rebuilds an exception that crossed the wire in a Status.Failure through this constructor;
    // without it the caller on the other node would get a failure with no cause at all.
#pragma warning disable SYSLIB0051
    private ReadOnlyStoreException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context) : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}

/// <summary>The actor system behind a store is gone, or did not answer in time.</summary>
public class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message) : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    // Akka rebuilds an exception that crossed the wire in a Status.Failure through this constructor;
    // without it the caller on the other node would get a failure with no cause at all.
#pragma warning disable SYSLIB0051
    private StoreUnavailableException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context) : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}
