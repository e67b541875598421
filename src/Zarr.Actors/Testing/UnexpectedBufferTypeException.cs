namespace Zarr.Actors.Testing;

/// <summary>A value or prototype of the wrong buffer type reached a store that insists on one.</summary>
public class UnexpectedBufferTypeException : ArgumentException
{
    public UnexpectedBufferTypeException(string message) : base(message)
    {
    }

    public UnexpectedBufferTypeException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    // Akka rebuilds an exception that crossed the wire in a Status.Failure through this constructor;
    // without it the caller on the other node would get a failure with no cause at all.
#pragma warning disable SYSLIB0051
    private UnexpectedBufferTypeException(System.Runtime.Serialization.SerializationInfo info, System.Runtime.Serialization.StreamingContext context) : base(info, context)
    {
    }
#pragma warning restore SYSLIB0051
}
