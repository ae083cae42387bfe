namespace Rtgf.Register;

/// <summary>The signed reference token that asserts a record: fetch <see cref="Uri"/> for the JWS and its inclusion proof.</summary>
public sealed record TokenLink(string Id, string Family, string Uri);

/// <summary>The immutable snapshot a record was read from (content-addressed; its manifest is in the transparency log).</summary>
public sealed record SnapshotLink(string Source, string Digest);

/// <summary>A street or postal address as TGA gives it.</summary>
public sealed record Address(string? Line1, string? Line2, string? Suburb, string? StateCode, string? Postcode, string? CountryCode);

/// <summary>An RTO contact (TGA organisation contact).</summary>
public sealed record Contact(
    string? TypeCode, string? RoleCode, string? FirstName, string? LastName, string? JobTitle, string? OrganisationName, string? Email, string? Phone, Address? PostalAddress);

/// <summary>The sanctions-screening result of an RTO, from its <c>sanctions-screen</c> token's facts.</summary>
public sealed record SanctionsScreening(string? Result, string? Rule, string? ListDigest, int Matches, IReadOnlyList<string> ScreenedNames, TokenLink Token, string Proof);

/// <summary>
/// A registered training organisation: the registration, trading names, contacts and addresses, linked to its
/// <c>rto-registration</c> token, with its sanctions screening when one was published.
/// </summary>
public sealed record Rto(
    string Code,
    string? LegalName,
    string? Abn,
    IReadOnlyList<string> TradingNames,
    string? Status,
    string? RegistrationManager,
    string? RegistrationStart,
    string? RegistrationEnd,
    IReadOnlyList<string> States,
    IReadOnlyList<Contact> Contacts,
    IReadOnlyList<Address> Locations,
    int CurrentScopeCount,
    int ScopeCount,
    SanctionsScreening? SanctionsScreening,
    TokenLink? Token,
    string? Proof,
    SnapshotLink Snapshot);

/// <summary>An RTO in a list: what filters and sorts it.</summary>
public sealed record RtoSummary(
    string Code, string? LegalName, string? Abn, string? Status, string? RegistrationManager, IReadOnlyList<string> States, TokenLink? Token, string? Proof);

/// <summary>
/// One row of an RTO's scope of registration. <see cref="Current"/>: not refused and not ended before the register's
/// as-of date. Refused rows are in no token (the compiler drops them), so they link only their snapshot.
/// </summary>
public sealed record ScopeRow(
    string ComponentCode,
    IReadOnlyList<string> ComponentTypes,
    string? Extent,
    bool IsImplicit,
    bool IsRefused,
    string? Decision,
    string? StartDate,
    string? EndDate,
    bool Current,
    TokenLink? Token,
    string? Proof,
    SnapshotLink Snapshot);

public sealed record Release(string ReleaseNumber, string? ReleaseDate, string? Currency);

public sealed record UsageRecommendation(string State, string? StartDate, string? EndDate);

/// <summary>A training component (qualification, unit, skill set, accredited course …) linked to its <c>training-component</c> token.</summary>
public sealed record Component(
    string Code,
    string Title,
    IReadOnlyList<string> ComponentTypes,
    string Status,
    string? Currency,
    string? ParentCode,
    IReadOnlyList<Release> Releases,
    IReadOnlyList<UsageRecommendation> UsageRecommendations,
    IReadOnlyList<string> Supersedes,
    IReadOnlyList<string> SupersededBy,
    TokenLink? Token,
    string? Proof,
    SnapshotLink Snapshot);

/// <summary>A component with its supersession chain followed transitively both ways (nearest first).</summary>
public sealed record ComponentDetail(Component Component, IReadOnlyList<string> SupersedesChain, IReadOnlyList<string> SupersededByChain, int ProviderCount);

public sealed record ComponentSummary(string Code, string Title, IReadOnlyList<string> ComponentTypes, string Status, string? Currency, TokenLink? Token, string? Proof);

/// <summary>An RTO with a component on its current scope.</summary>
public sealed record ComponentProvider(RtoSummary Rto, ScopeRow Scope);

/// <summary>A CRICOS provider (no token asserts providers: they link their snapshot).</summary>
public sealed record CricosProvider(
    string ProviderCode, string InstitutionName, string? TradingName, string? InstitutionType, int? Capacity, string? Website,
    string? PostalCity, string? PostalState, string? PostalPostcode, int CourseCount, TokenLink? Token, string? Proof, SnapshotLink Snapshot);

public sealed record CricosLocation(string LocationName, string? LocationType, string? City, string? State, string? Postcode, SnapshotLink Snapshot);

/// <summary>A CRICOS course, linked to its <c>cricos-course</c> token.</summary>
public sealed record CricosCourse(
    string ProviderCode, string CourseCode, string CourseName, string? VetNationalCode, string? CourseLevel, long? DurationWeeks,
    string? TuitionFee, string? NonTuitionFee, string? EstimatedTotalCost, bool Expired, IReadOnlyList<string> Locations,
    TokenLink? Token, string? Proof, SnapshotLink Snapshot);

public sealed record CricosProviderDetail(CricosProvider Provider, IReadOnlyList<CricosLocation> Locations, IReadOnlyList<CricosCourse> Courses);

public sealed record TeqsaCourse(string Title, string? Status, string? RenewalDate);

/// <summary>A TEQSA provider (no token family reads TEQSA yet: it links its snapshot).</summary>
public sealed record TeqsaProvider(
    string ProviderId, string Name, string? Abn, string? Category, string? SelfAccreditingAuthority, string? Status, string? RegistrationExpiry,
    string? Website, IReadOnlyList<TeqsaCourse> Courses, TokenLink? Token, string? Proof, SnapshotLink Snapshot);

public sealed record TeqsaProviderSummary(string ProviderId, string Name, string? Abn, string? Status, int CourseCount, SnapshotLink Snapshot);
