using System.Net;
using System.Net.Sockets;

namespace GrantFlow.Hosting.Local;

/// <summary>Free TCP ports on the loopback interface.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
