package org.phocap.security;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Requests sent as the trusted proxy would send them: from a socket bound to 127.0.0.2 (the test
 * profile's only trusted proxy) with X-Forwarded-For naming the client.
 */
final class ViaProxy {
    private ViaProxy() {}

    /** The whole HTTP/1.1 response as text (status line first). */
    static String send(URL base, String method, String path, String client, String json) throws Exception {
        try (Socket socket = new Socket(
                InetAddress.getByName(base.getHost()), base.getPort(), InetAddress.getByName("127.0.0.2"), 0)) {
            socket.setSoTimeout(30_000);
            byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + client + "\r\n"
                            + (json == null
                                    ? ""
                                    : "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n")
                            + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static int status(String response) {
        return Integer.parseInt(response.substring(9, 12));
    }
}
