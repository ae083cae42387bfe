namespace Rtgf.Register;

/// <summary>A hold on a generation for the length of a request: its search index stays open until released.</summary>
public sealed class RegisterLease(RegisterView view) : IDisposable
{
    private int _released;

    public RegisterView View { get; } = view;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            View.Release();
        }
    }
}
