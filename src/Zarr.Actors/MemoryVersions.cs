using System.Globalization;
using System.Security.Cryptography;

namespace Zarr.Actors;

/// <summary>
/// Version tags of values kept in memory: a random 64-bit epoch drawn when the generator is made, and a
/// counter. Every write takes the next number, so the same bytes written twice get two tags; a restart
/// (which loses the values anyway) draws a new epoch, so no old tag can match a new value. Writes store
/// only the number: the tag string is made when someone asks for it.
/// </summary>
internal sealed class MemoryVersions
{
    private readonly string _epoch = RandomNumberGenerator.GetHexString(16, lowercase: true);
    private long _last;

    /// <summary>The number of a new version.</summary>
    public long Next() => Interlocked.Increment(ref _last);

    /// <summary>The strong tag of version <paramref name="number"/>, quoted as an HTTP <c>ETag</c>.</summary>
    public string TagOf(long number) => string.Create(CultureInfo.InvariantCulture, $"\"m{_epoch}-{number:x}\"");
}
