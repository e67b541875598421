namespace Zarr.Buffers;

// Placeholder so the solution compiles; the full n-d buffer lands with the buffers work.
public class NDBuffer
{
}
