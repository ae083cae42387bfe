// WebApplicationFactory<Program> needs a public type from the app's assembly (top-level statements make Program internal).
public partial class Program;
