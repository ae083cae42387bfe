namespace Rtgf.UpstreamSimulator.World;

/// <summary>A registered training organisation, with its registration and a slice of the scope table.</summary>
internal sealed class Rto
{
    public required string Code { get; init; }

    public required string LegalName { get; init; }

    public required string TradingName { get; init; }

    public required string Abn { get; init; }

    public required string Acn { get; init; }

    public required RtoStatus Status { get; set; }

    /// <summary>Registration manager code: ASQA, VRQA (Victoria) or TAC (Western Australia).</summary>
    public required string RegistrationManager { get; init; }

    public required DateOnly RegistrationStart { get; init; }

    public required DateOnly RegistrationEnd { get; set; }

    public string? EndReason { get; set; }

    public required Address Address { get; init; }

    public required string ContactFirstName { get; init; }

    public required string ContactLastName { get; init; }

    public required string Phone { get; init; }

    public required string Email { get; init; }

    public required string Website { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required DateTimeOffset Updated { get; set; }

    public DateTimeOffset? Deleted { get; set; }

    /// <summary>First row of this organisation's scope in <see cref="SimulatedWorld.Scope"/>.</summary>
    public required int ScopeStart { get; init; }

    public required int ScopeCount { get; init; }

    public bool HasActiveRegistration => Status == RtoStatus.Current;
}
