package org.cropcast.tracking.mlflow;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.cropcast.tracking.CropcastException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code MLFLOW_TRACKING_INSECURE_TLS} against an HTTPS endpoint with a self-signed certificate
 * (made with the JDK's keytool) for a host name it does not match: refused by default with a TLS
 * error, accepted when the variable is true.
 */
class MlflowRestTlsTest {
    private static final String EXPERIMENT = "{\"experiment\":{\"experiment_id\":\"3\",\"name\":\"tls\",\"artifact_location\":\"mlflow-artifacts:/3\",\"lifecycle_stage\":\"active\"}}";

    @TempDir
    Path dir;

    private HttpsServer https;

    @AfterEach
    void stop() {
        if (https != null) {
            https.stop(0);
        }
    }

    private String serveSelfSigned() throws Exception {
        Path keystore = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        MlflowPython.Result made = MlflowPython.run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=not-this-host.example", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-keypass", "changeit"), Map.of(), Duration.ofMinutes(1));
        assertThat(made.exitCode()).as(made.stderr()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context));
        https.createContext("/", exchange -> {
            byte[] body = EXPERIMENT.getBytes(UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        https.start();
        return "https://127.0.0.1:" + https.getAddress().getPort();
    }

    @Test
    void selfSignedCertificatesNeedInsecureTls() throws Exception {
        String uri = serveSelfSigned();
        assertThatThrownBy(() -> MlflowRestRunStore.open(uri, MlflowRestSettings.defaults()).findExperiment("tls"))
                .isInstanceOfSatisfying(CropcastException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(MlflowRestErrorCode.TLS_FAILURE);
                    assertThat(e.getMessage()).contains(uri).contains("MLFLOW_TRACKING_INSECURE_TLS").doesNotContain("\n");
                });
        MlflowRestSettings insecure = MlflowRestSettings.fromEnvironment(Map.of("MLFLOW_TRACKING_INSECURE_TLS", "true"));
        assertThat(MlflowRestRunStore.open(uri, insecure).findExperiment("tls")).hasValueSatisfying(e -> assertThat(e.name()).isEqualTo("tls"));
    }
}
