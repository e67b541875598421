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
}
