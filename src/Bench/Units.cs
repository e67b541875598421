namespace Zarr.Actors.Bench;

/// <summary>Byte sizes the scenarios name.</summary>
internal static class Units
{
    public const int KiB = 1024;
    public const int MiB = 1024 * KiB;
}
