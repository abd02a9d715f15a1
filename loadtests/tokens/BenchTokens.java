import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Prepares learners' access tokens before a load test, the one place the load tests sign them:
 * RS256 with the server's private key, valid for two hours. Writes "learnerId token" lines.
 *
 * Usage: java BenchTokens.java PRIVATE_KEY.pem LEARNERS OUT
 *   LEARNERS is a file of learner ids (one per line), or "1..N".
 */
public class BenchTokens {
    public static void main(String[] args) throws Exception {
        PrivateKey key = readKey(Path.of(args[0]));
        List<Long> ids = new ArrayList<>();
        if (args[1].matches("\\d+\\.\\.\\d+")) {
            String[] range = args[1].split("\\.\\.");
            for (long id = Long.parseLong(range[0]); id <= Long.parseLong(range[1]); id++) {
                ids.add(id);
            }
        } else {
            for (String line : Files.readAllLines(Path.of(args[1]))) {
                if (!line.isBlank()) {
                    ids.add(Long.parseLong(line.trim()));
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (long id : ids) {
            out.append(id).append(' ').append(token(key, id)).append('\n');
        }
        Files.writeString(Path.of(args[2]), out);
    }

    static String token(PrivateKey key, long learnerId) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String header = b64("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        String payload = b64("{\"sub\":\"learner:" + learnerId + "\",\"upn\":\"bench-" + learnerId
                + "\",\"groups\":[\"LEARNER\"]," + "\"scope\":[],\"iss\":\"https://phocap.org\",\"iat\":" + now
                + ",\"exp\":" + (now + 7200) + "}");
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
        return header + "." + payload + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static PrivateKey readKey(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
