using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Tests.Ingest;

public sealed class RawCaptureHandlerTests
{
    [Theory]
    [InlineData("ITrainingComponentService/GetDetails", "TrainingComponentService.GetDetails")]
    [InlineData("IOrganisationService/SearchByModifiedDate", "OrganisationService.SearchByModifiedDate")]
    [InlineData("cricos-zip", "cricos-zip")]
    [InlineData("GET /a b?c", "GET_.a_b_c")]
    public void OperationLabel_IsASafeBlobNameSegment(string operation, string label) =>
        Assert.Equal(label, RawCaptureHandler.OperationLabel(operation));
}
