using System.Net;
using Rtgf.Testing;
using Stripe;

namespace Rtgf.StripeStandIn.Tests;

/// <summary><c>GET /v1/customers/search</c> by metadata, and the <c>in_progress</c> fault, through Stripe.net.</summary>
public sealed class CustomerSearchTests : IAsyncLifetime
{
    private readonly StripeStandInFixture _stand = new();

    public Task InitializeAsync() => _stand.InitializeAsync();

    public Task DisposeAsync() => _stand.DisposeAsync();

    [Fact]
    public async Task Search_ByMetadata_FindsOnlyTheMatchingCustomers_NewestFirst()
    {
        var customers = new CustomerService(Stand.Client(_stand));
        var first = await customers.CreateAsync(new CustomerCreateOptions { Metadata = new() { ["rtgf_key_id"] = "key_a" } });
        await customers.CreateAsync(new CustomerCreateOptions { Metadata = new() { ["rtgf_key_id"] = "key_b" } });
        _stand.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await customers.CreateAsync(new CustomerCreateOptions { Metadata = new() { ["rtgf_key_id"] = "key_a" } });

        var found = await customers.SearchAsync(new CustomerSearchOptions { Query = "metadata['rtgf_key_id']:'key_a'" });
        var none = await customers.SearchAsync(new CustomerSearchOptions { Query = "metadata['rtgf_key_id']:'key_z'" });
        var refused = await Assert.ThrowsAsync<StripeException>(() => customers.SearchAsync(new CustomerSearchOptions { Query = "email:'a@example.org'" }));

        Assert.Equal([second.Id, first.Id], found.Data.Select(c => c.Id));
        Assert.False(found.HasMore);
        Assert.Empty(none.Data);
        Assert.Equal((HttpStatusCode.BadRequest, "query"), (refused.HttpStatusCode, refused.StripeError.Param));
    }

    [Fact]
    public async Task InProgressFault_Is409IdempotencyError_Once()
    {
        var customers = new CustomerService(Stand.Client(_stand));
        await _stand.Admin.AddFaultAsync("/v1/customers", StripeFaultMode.InProgress);

        var busy = await Assert.ThrowsAsync<StripeException>(() => customers.CreateAsync(new CustomerCreateOptions(), new RequestOptions { IdempotencyKey = "k-1" }));
        var created = await customers.CreateAsync(new CustomerCreateOptions(), new RequestOptions { IdempotencyKey = "k-1" });

        Assert.Equal((HttpStatusCode.Conflict, "idempotency_error"), (busy.HttpStatusCode, busy.StripeError.Type));
        Assert.StartsWith("cus_", created.Id, StringComparison.Ordinal);
    }
}
