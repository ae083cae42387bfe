using Microsoft.Extensions.Logging;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Register;

/// <summary>
/// Serves the current generation of the register and keeps the one a swap replaced. At most every
/// <see cref="RegisterOptions.RefreshSeconds"/> a request starts a check of the latest publication in the background
/// (single flight); a new build is loaded off the request path and swapped in atomically, so requests never wait for a
/// rebuild once a generation exists (only the very first waits; a failed first load answers "unavailable" until the next
/// check is due rather than retrying per request).
/// A cursor pinned to a generation no longer in memory is rebuilt only when this instance itself saw that build as the
/// latest publication (its last few), and rebuilt generations never displace the current one or the one a swap replaced.
/// Any other build is "expired": build ids are public, so a cursor must not make an instance load whatever build it names.
/// Every load (a refresh's or a cursor's rebuild) goes through one slot, so at most one register is being loaded at a time:
/// a request for the build being loaded shares that load; a cursor for another build is "unavailable" meanwhile; a check
/// that finds another build loading is taken up again as soon as that load ends, and has priority: while a check runs or
/// waits, a cursor starts no load (it is "unavailable"), so cursors of old builds cannot keep an instance on an old
/// generation by taking the slot in turn.
/// </summary>
public sealed partial class RegisterGenerations(RegisterLoader loader, RegisterOptions options, TimeProvider time, ILogger<RegisterGenerations> logger) : IDisposable
{
    private const int AcquireAttempts = 4;
    private readonly Lock _gate = new();
    private readonly List<RegisterView> _rebuilt = [];
    private readonly List<Publication> _observed = [];
    private RegisterView? _current;
    private RegisterView? _previous;
    private (string Hex, Task<RegisterView?> Load)? _loading;
    private long _checkedAtTicks = long.MinValue;
    private bool _refreshFailed;
    private bool _refreshPending;
    private bool _disposed;
    private Task? _refresh;

    /// <summary>The build id of the generation being served, or null before the first load.</summary>
    public string? CurrentBuildId => Volatile.Read(ref _current)?.BuildId;

    private int RebuiltLimit => Math.Max(1, options.RetainedGenerations);

    /// <summary>How many of the latest publications this instance saw it will rebuild for a cursor.</summary>
    private int ObservedLimit => Math.Max(4, options.RetainedGenerations + 2);

    /// <summary>A hold on the current generation, or why there is none (nothing published, or unavailable for now).</summary>
    public async ValueTask<RegisterAcquisition> AcquireCurrentAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < AcquireAttempts; attempt++)
        {
            var view = Volatile.Read(ref _current);
            if (view is null)
            {
                if (Volatile.Read(ref _refreshFailed) && !CheckDue())
                {
                    return RegisterAcquisition.Of(RegisterOutcome.Unavailable);
                }

                await RefreshAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
                view = Volatile.Read(ref _current);
                if (view is null)
                {
                    return RegisterAcquisition.Of(Volatile.Read(ref _refreshFailed) ? RegisterOutcome.Unavailable : RegisterOutcome.NothingPublished);
                }
            }
            else if (CheckDue())
            {
                _ = RefreshAsync();
            }

            if (view.TryAcquire())
            {
                return RegisterAcquisition.Held(view);
            }

            // Retired between the read and the hold (swaps moved on, or the instance is closing): read the current one again.
        }

        return RegisterAcquisition.Of(RegisterOutcome.Unavailable);
    }

    /// <summary>A hold on the generation of build <paramref name="buildHex"/> (kept, or rebuilt if this instance saw it published), or why there is none.</summary>
    public async ValueTask<RegisterAcquisition> AcquirePinnedAsync(string buildHex, CancellationToken cancellationToken = default)
    {
        Task<RegisterView?> load;
        lock (_gate)
        {
            if (Kept(buildHex) is { } kept)
            {
                return Hold(kept);
            }

            var publication = _observed.Find(p => HexOf(p.BuildId) == buildHex);
            if (publication is null)
            {
                return RegisterAcquisition.Of(RegisterOutcome.Expired);
            }

            if (_loading is { } running)
            {
                // The one load slot is taken: share it when it loads this build; never wait for another build's load.
                if (running.Hex != buildHex)
                {
                    return RegisterAcquisition.Of(RegisterOutcome.Unavailable);
                }

                load = running.Load;
            }
            else if (_refresh is not null || _refreshPending)
            {
                // A check runs or waits for the slot: it goes first (it may be loading the latest build).
                return RegisterAcquisition.Of(RegisterOutcome.Unavailable);
            }
            else
            {
                load = StartLoad(publication, serve: false);
            }
        }

        var view = await load.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (view is null)
        {
            return RegisterAcquisition.Of(RegisterOutcome.Expired);
        }

        lock (_gate)
        {
            return Hold(view);
        }
    }

    /// <summary>Checks the latest publication now and swaps to its generation when it changed (single flight; what the timer-free tests await). Never faults.</summary>
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
            _disposed = true;
            foreach (var view in _rebuilt.Append(_previous).Append(_current).OfType<RegisterView>())
            {
                view.Retire();
            }

            _rebuilt.Clear();
            _previous = null;
            _current = null;
        }
    }

    private bool CheckDue() =>
        time.GetUtcNow().UtcTicks - Volatile.Read(ref _checkedAtTicks) >= TimeSpan.FromSeconds(Math.Max(0, options.RefreshSeconds)).Ticks;

    private static string HexOf(string buildId) => buildId.StartsWith("sha256:", StringComparison.Ordinal) ? buildId["sha256:".Length..] : buildId;

    /// <summary>A generation in memory by build hex. Under the lock.</summary>
    private RegisterView? Kept(string buildHex) =>
        _current?.BuildHex == buildHex ? _current
        : _previous?.BuildHex == buildHex ? _previous
        : _rebuilt.Find(v => v.BuildHex == buildHex);

    /// <summary>A hold on a kept generation. Under the lock, so it cannot be retired meanwhile; a view dropped since is unavailable.</summary>
    private RegisterAcquisition Hold(RegisterView view) =>
        ReferenceEquals(Kept(view.BuildHex), view) && view.TryAcquire()
            ? RegisterAcquisition.Held(view)
            : RegisterAcquisition.Of(RegisterOutcome.Unavailable);

    private async Task RunRefreshAsync()
    {
        var deferred = false;
        try
        {
            Volatile.Write(ref _checkedAtTicks, time.GetUtcNow().UtcTicks);
            var latest = await loader.LatestPublicationAsync().ConfigureAwait(false);
            if (latest is null)
            {
                Volatile.Write(ref _refreshFailed, false);
                return;
            }

            Task<RegisterView?> load;
            lock (_gate)
            {
                Observe(latest);
                if (_current?.BuildId == latest.BuildId)
                {
                    Volatile.Write(ref _refreshFailed, false);
                    return;
                }

                // Already in memory (rebuilt for a cursor): look it up and swap in one step, so no eviction can come between.
                if (Kept(HexOf(latest.BuildId)) is { } kept)
                {
                    Swap(kept);
                    Volatile.Write(ref _refreshFailed, false);
                    return;
                }

                if (_loading is { } running)
                {
                    if (running.Hex != HexOf(latest.BuildId))
                    {
                        // A cursor's rebuild of another build holds the slot: that load takes this check up again when it
                        // ends. Before the first generation, requests are told to retry until then.
                        deferred = true;
                        Volatile.Write(ref _refreshFailed, _current is null);
                        return;
                    }

                    load = running.Load;
                }
                else
                {
                    load = StartLoad(latest, serve: true);
                }
            }

            var view = await load.ConfigureAwait(false);
            if (view is null)
            {
                Volatile.Write(ref _refreshFailed, Volatile.Read(ref _current) is null);
                return;
            }

            lock (_gate)
            {
                // Shared a cursor's rebuild of this build: serve it now (a load for serving swapped it in already).
                if (!_disposed && ReferenceEquals(Kept(view.BuildHex), view))
                {
                    Swap(view);
                }
            }

            Volatile.Write(ref _refreshFailed, false);
        }
#pragma warning disable CA1031 // Any failure: keep serving what is served (or answer "unavailable" before the first) and try at the next check.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _refreshFailed, true);
            LogRefreshFailed(logger, e);
        }
        finally
        {
            lock (_gate)
            {
                // Pending until a check has taken or shared the slot (or found nothing to load, or failed): until then
                // no cursor starts a load.
                _refreshPending = deferred;
                _refresh = null;
                TakeUpPendingCheck();
            }
        }
    }

    /// <summary>Starts the check a load put off, once neither a load nor a check runs. Under the lock.</summary>
    private void TakeUpPendingCheck()
    {
        if (_refreshPending && _loading is null && _refresh is null && !_disposed)
        {
            _refresh = Task.Run(RunRefreshAsync);
        }
    }

    /// <summary>Takes the one load slot for <paramref name="publication"/>'s build. Under the lock, with the slot free.</summary>
    private Task<RegisterView?> StartLoad(Publication publication, bool serve)
    {
        var load = Task.Run(() => LoadAsync(publication, serve));
        _loading = (HexOf(publication.BuildId), load);
        return load;
    }

    /// <summary>
    /// Loads a generation and puts it in place: swapped in when it is the latest publication (<paramref name="serve"/>),
    /// else kept as a rebuilt one. Null when the build is not stored or the load failed (logged). Never faults.
    /// </summary>
    private async Task<RegisterView?> LoadAsync(Publication publication, bool serve)
    {
        try
        {
            var view = await loader.LoadAsync(publication).ConfigureAwait(false);
            if (view is null)
            {
                LogBuildMissing(logger, publication.BuildId);
                return null;
            }

            lock (_gate)
            {
                if (_disposed)
                {
                    view.Retire();
                    return null;
                }

                if (serve)
                {
                    Swap(view);
                }
                else
                {
                    // Only other rebuilt generations make room: never the current one or the one a swap replaced.
                    _rebuilt.Add(view);
                    while (_rebuilt.Count > RebuiltLimit)
                    {
                        _rebuilt[0].Retire();
                        _rebuilt.RemoveAt(0);
                    }
                }
            }

            if (serve)
            {
                LogSwapped(logger, view.BuildId, view.Rtos.Count, view.Components.Count);
            }
            else
            {
                LogRebuilt(logger, view.BuildId);
            }

            return view;
        }
#pragma warning disable CA1031 // A failed load keeps what is served; a cursor that cannot be rebuilt is "expired", never a 500.
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (serve)
            {
                LogRefreshFailed(logger, e);
            }
            else
            {
                LogRebuildFailed(logger, publication.BuildId, e);
            }

            return null;
        }
        finally
        {
            lock (_gate)
            {
                _loading = null;
                TakeUpPendingCheck();
            }
        }
    }

    /// <summary>Makes <paramref name="view"/> current; the one it replaces becomes the previous one (open cursors page through it). Under the lock.</summary>
    private void Swap(RegisterView view)
    {
        if (ReferenceEquals(_current, view))
        {
            return;
        }

        _rebuilt.Remove(view);
        if (ReferenceEquals(_previous, view))
        {
            _previous = null;
        }

        if (_previous is not null && _current is not null)
        {
            _previous.Retire();
        }

        _previous = _current ?? _previous;
        Volatile.Write(ref _current, view);
    }

    /// <summary>Remembers a latest publication (the last few): the builds a cursor may ask this instance to rebuild. Under the lock.</summary>
    private void Observe(Publication publication)
    {
        if (_observed.Exists(p => p.BuildId == publication.BuildId))
        {
            return;
        }

        _observed.Add(publication);
        if (_observed.Count > ObservedLimit)
        {
            _observed.RemoveAt(0);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Register generation {BuildId} is served: {Rtos} RTOs, {Components} components.")]
    private static partial void LogSwapped(ILogger logger, string buildId, int rtos, int components);

    [LoggerMessage(Level = LogLevel.Information, Message = "Register generation {BuildId} was rebuilt for a cursor.")]
    private static partial void LogRebuilt(ILogger logger, string buildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The publication's build {BuildId} is not stored; the register cannot load it.")]
    private static partial void LogBuildMissing(ILogger logger, string buildId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The register could not load the latest publication; it keeps what it serves and tries again at the next check.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The register could not rebuild generation {BuildId} for a cursor.")]
    private static partial void LogRebuildFailed(ILogger logger, string buildId, Exception exception);
}
