using System.Net;
using System.Net.Sockets;

namespace Rtgf.Tooling;

/// <summary>Ports on 127.0.0.1 for processes this tooling starts.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS reports free now (the usual race applies: bind it soon).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>True when every one of the ports can be bound now.</summary>
    public static bool AreFree(params int[] ports)
    {
        foreach (var port in ports)
        {
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
