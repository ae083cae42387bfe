using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// One Azurite for every fixture of this test run that stores data: started on first use and stopped when the test
/// process exits. Fixtures never share tables or containers (each takes its own prefix), so none needs a fresh Azurite,
/// and any test class can take a fixture without joining a collection.
/// </summary>
internal static class SharedAzurite
{
    private static readonly Lazy<Task<AzuriteFixture>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    public static Task<AzuriteFixture> GetAsync() => Instance.Value;

    private static async Task<AzuriteFixture> StartAsync()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.DisposeAsync().GetAwaiter().GetResult();
        return azurite;
    }
}
