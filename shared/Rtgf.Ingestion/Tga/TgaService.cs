namespace Rtgf.Ingestion.Tga;

/// <summary>The two TGA SOAP services this connector reads.</summary>
public enum TgaService
{
    TrainingComponent,
    Organisation,
}
