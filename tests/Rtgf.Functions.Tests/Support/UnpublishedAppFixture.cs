namespace Rtgf.Functions.Tests.Support;

/// <summary>The app over empty storage: nothing has been published yet.</summary>
public sealed class UnpublishedAppFixture() : StoredAppFixture(new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.Zero))
{
    protected override Task SeedAsync() => Task.CompletedTask;
}
