using Paddock.Edge;

// The edge proxy: serves every environment's stable URL (http://{environment}.localhost:5090/) and forwards to
// the containers of its current deployment, as recorded in the edge_routes table.
var builder = WebApplication.CreateBuilder(args);
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
    builder.WebHost.UseUrls(builder.Configuration["Edge:Urls"] ?? "http://127.0.0.1:5090");
builder.AddPaddockEdge();

var app = builder.Build();
app.MapPaddockEdge();
app.Run();
