package org.phocap.roster;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which charset a CSV file is in: the one the client named, else UTF-8 when every byte decodes
 * as UTF-8 (with or without a BOM), else Windows-1258, which Vietnamese Excel uses for "CSV".
 */
final class TextDecoding {
    static final Charset CP1258 = Charset.forName("windows-1258");

    private TextDecoding() {}

    static Charset detect(Path file) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        CharBuffer out = CharBuffer.allocate(64 * 1024);
        try (InputStream stream = Files.newInputStream(file)) {
            byte[] chunk = new byte[32 * 1024];
            int read;
            while ((read = stream.read(chunk)) > 0) {
                in.put(chunk, 0, read);
                in.flip();
                if (decoder.decode(in, out, false).isError()) {
                    return CP1258;
                }
                in.compact();
                out.clear();
            }
            in.flip();
            if (decoder.decode(in, out, true).isError() || decoder.flush(out).isError()) {
                return CP1258;
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** A reader over the file that drops a leading UTF-8 byte-order mark. */
    static Reader open(Path file, Charset charset) throws IOException {
        BufferedInputStream stream = new BufferedInputStream(Files.newInputStream(file), 64 * 1024);
        if (charset.equals(StandardCharsets.UTF_8)) {
            stream.mark(3);
            byte[] head = stream.readNBytes(3);
            if (!(head.length == 3
                    && (head[0] & 0xFF) == 0xEF
                    && (head[1] & 0xFF) == 0xBB
                    && (head[2] & 0xFF) == 0xBF)) {
                stream.reset();
            }
        }
        return new InputStreamReader(stream, charset);
    }
}
