namespace Zarr.Actors.Host.Tests.History;

/// <summary>A node's answer to <c>/__health</c>: healthy (200), and how many members it sees Up.</summary>
public sealed record NodeHealth(bool Healthy, int UpMembers, int Members, string Text);
