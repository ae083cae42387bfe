using Microsoft.Extensions.Logging;

namespace Rtgf.Register;

/// <summary>
/// Serves the current generation of the register and keeps a few earlier ones. At most every
/// <see cref="RegisterOptions.RefreshSeconds"/> a request starts a check of the latest publication in the background
/// (single flight); a new build is loaded off the request path and swapped in atomically, so requests never wait for a
/// rebuild once a generation exists (only the very first waits). A cursor pinned to a generation no longer in memory
/// rebuilds it from storage (builds and snapshots are immutable); one whose build is not stored is gone.
/// </summary>
public sealed partial class RegisterGenerations(RegisterLoader loader, RegisterOptions options, TimeProvider time, ILogger<RegisterGenerations> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<RegisterView> _retained = [];
    private readonly Dictionary<string, Task<RegisterView?>> _pinnedLoads = new(StringComparer.Ordinal);
    private RegisterView? _current;
    private long _checkedAtTicks;
    private Task? _refresh;

    /// <summary>The build id of the generation being served, or null before the first load.</summary>
    public string? CurrentBuildId => Volatile.Read(ref _current)?.BuildId;

    /// <summary>A hold on the current generation; null when nothing has been published yet.</summary>
    public async ValueTask<RegisterLease?> AcquireCurrentAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var view = Volatile.Read(ref _current);
            if (view is null)
            {
                await RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                view = Volatile.Read(ref _current);
                if (view is null)
                {
                    return null;
                }
            }
            else if (time.GetUtcNow().UtcTicks - Volatile.Read(ref _checkedAtTicks) >= TimeSpan.FromSeconds(Math.Max(0, options.RefreshSeconds)).Ticks)
            {
                _ = RefreshAsync();
            }

            if (view.TryAcquire())
            {
                return new RegisterLease(view);
            }
        }

        throw new InvalidOperationException("The register's current generation was retired while it was being acquired.");
    }

    /// <summary>A hold on the generation of build <paramref name="buildHex"/> (kept, or rebuilt from storage); null when that build is not stored.</summary>
    public async ValueTask<RegisterLease?> AcquirePinnedAsync(string buildHex, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            RegisterView? view;
            Task<RegisterView?> load;
            lock (_gate)
            {
                view = _retained.FirstOrDefault(v => v.BuildHex == buildHex);
                if (view is not null)
                {
                    load = Task.FromResult<RegisterView?>(view);
                }
                else if (!_pinnedLoads.TryGetValue(buildHex, out load!))
                {
                    load = LoadPinnedAsync(buildHex);
                    _pinnedLoads[buildHex] = load;
                }
            }

            view ??= await load.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (view is null)
            {
                return null;
            }

            if (view.TryAcquire())
            {
                return new RegisterLease(view);
            }
        }

        throw new InvalidOperationException($"The register's generation {buildHex} was retired while it was being acquired.");
    }

    /// <summary>Checks the latest publication now and swaps to its generation when it changed (single flight; what the timer-free tests await).</summary>
    public Task RefreshAsync()
    {
        lock (_gate)
        {
            return _refresh ??= Task.Run(RunRefreshAsync);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var view in _retained)
            {
                view.Retire();
            }

            _retained.Clear();
            _current = null;
        }
    }

    private async Task RunRefreshAsync()
    {
        try
        {
            Volatile.Write(ref _checkedAtTicks, time.GetUtcNow().UtcTicks);
            var latest = await loader.LatestBuildIdAsync().ConfigureAwait(false);
            if (latest is null || latest == Volatile.Read(ref _current)?.BuildId)
            {
                return;
            }

            RegisterView? view;
            lock (_gate)
            {
                view = _retained.FirstOrDefault(v => v.BuildId == latest);
            }

            view ??= await loader.LoadAsync(latest).ConfigureAwait(false);
            if (view is null)
            {
                LogBuildMissing(logger, latest);
                return;
            }

            lock (_gate)
            {
                Retain(view);
                Volatile.Write(ref _current, view);
            }

            LogSwapped(logger, view.BuildId, view.Rtos.Count, view.Components.Count);
        }
        catch (Exception e) when (Volatile.Read(ref _current) is not null)
        {
            // A generation is being served: keep serving it and try again at the next check.
            LogRefreshFailed(logger, e);
        }
        finally
        {
            lock (_gate)
            {
                _refresh = null;
            }
        }
    }

    private async Task<RegisterView?> LoadPinnedAsync(string buildHex)
    {
        try
        {
            var view = await loader.LoadAsync("sha256:" + buildHex).ConfigureAwait(false);
            if (view is not null)
            {
                lock (_gate)
                {
                    Retain(view);
                }
            }

            return view;
        }
        finally
        {
            lock (_gate)
            {
                _pinnedLoads.Remove(buildHex);
            }
        }
    }

    /// <summary>Keeps <paramref name="view"/>, retiring the oldest kept generation (never the current one) beyond the limit. Under the lock.</summary>
    private void Retain(RegisterView view)
    {
        if (_retained.Any(v => v.BuildId == view.BuildId))
        {
            return;
        }

        _retained.Add(view);
        var limit = Math.Max(1, options.RetainedGenerations) + 1;
        while (_retained.Count > limit)
        {
            var oldest = _retained.First(v => !ReferenceEquals(v, _current) && !ReferenceEquals(v, view));
            _retained.Remove(oldest);
            oldest.Retire();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Register generation {BuildId} is served: {Rtos} RTOs, {Components} components.")]
    private static partial void LogSwapped(ILogger logger, string buildId, int rtos, int components);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The latest publication's build {BuildId} is not stored; the register keeps its generation.")]
    private static partial void LogBuildMissing(ILogger logger, string buildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The register could not load the latest publication; it keeps serving its generation.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
