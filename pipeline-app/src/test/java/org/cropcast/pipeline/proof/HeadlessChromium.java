package org.cropcast.pipeline.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debian {@code chromium} binary, headless, driven through the Chrome DevTools Protocol over
 * the JDK's WebSocket client: open a page, evaluate JavaScript in any of its frames (also the
 * sandboxed iframe in which MLflow's UI shows an HTML artifact), and collect every console error
 * and uncaught exception of the page and its frames.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final JsonMapper JSON = new JsonMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** frame id -> url, execution context id -> (session, frame id), per session. */
    private final Map<String, String> frameUrls = new ConcurrentHashMap<>();
    private final Map<String, String[]> contexts = new ConcurrentHashMap<>();
    private final List<String> consoleErrors = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();

    private HeadlessChromium(Process process, String webSocketUrl) throws Exception {
        this.process = process;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(webSocketUrl), new Listener())
                .get(30, TimeUnit.SECONDS);
    }

    /** Starts {@code chromium} headless with a fresh profile in {@code profile}. */
    static HeadlessChromium start(Path profile) throws Exception {
        Process process = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1366,900", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    seen.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return m.group(1);
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("chromium exited without a DevTools endpoint: " + String.join("\n", seen));
        });
        String ws;
        try {
            ws = url.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
        HeadlessChromium chromium = new HeadlessChromium(process, ws);
        // keep draining stderr so chromium never blocks on a full pipe
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    chromium.stderr.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return chromium;
    }

    /** Opens {@code url} in a new tab, attached (with its frames) for evaluation and console capture; returns the session. */
    String open(String url) throws Exception {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        String session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
        enable(session);
        call(session, "Page.navigate", Map.of("url", url));
        return session;
    }

    private void enable(String session) throws Exception {
        call(session, "Page.enable", Map.of());
        call(session, "Runtime.enable", Map.of());
        call(session, "Log.enable", Map.of());
        call(session, "Target.setAutoAttach", Map.of("autoAttach", true, "waitForDebuggerOnStart", false, "flatten", true));
    }

    /**
     * Evaluates {@code expression} (which must return a string, e.g. JSON.stringify(...)) in the
     * first frame whose URL starts with {@code frameUrlPrefix}, polling until {@code ready} (a JS
     * boolean expression) holds there or {@code timeout} passes.
     */
    Optional<String> evaluateInFrame(String frameUrlPrefix, String ready, String expression, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Map.Entry<String, String[]> context : contexts.entrySet()) {
                String url = frameUrls.getOrDefault(context.getValue()[1], "");
                if (!url.startsWith(frameUrlPrefix)) {
                    continue;
                }
                String session = context.getValue()[0].isEmpty() ? null : context.getValue()[0];
                int contextId = Integer.parseInt(context.getKey().substring(0, context.getKey().indexOf('@')));
                try {
                    JsonNode ok = call(session, "Runtime.evaluate", Map.of("expression", ready, "contextId", contextId,
                            "returnByValue", true));
                    if (ok.path("result").path("value").asBoolean(false)) {
                        JsonNode value = call(session, "Runtime.evaluate", Map.of("expression", expression, "contextId", contextId,
                                "returnByValue", true));
                        return Optional.of(value.path("result").path("value").asText());
                    }
                } catch (IllegalStateException gone) {
                    // the context was destroyed by a navigation since: try the others, then again
                    contexts.remove(context.getKey());
                }
            }
            Thread.sleep(250);
        }
        return Optional.empty();
    }

    /** The URLs of every frame seen so far. */
    List<String> frameUrls() {
        return List.copyOf(frameUrls.values());
    }

    /** Console errors (console.error, uncaught exceptions, log entries of level error) of every page and frame. */
    List<String> consoleErrors() {
        return List.copyOf(consoleErrors);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    private JsonNode call(String session, String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (session != null) {
            message.put("sessionId", session);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        synchronized (socket) {
            socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
        }
        JsonNode result = answer.get(60, TimeUnit.SECONDS);
        if (result.has("error")) {
            throw new IllegalStateException(method + " failed: " + result.get("error"));
        }
        return result.path("result");
    }

    private void onMessage(JsonNode message) {
        if (message.has("id")) {
            CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        String session = message.path("sessionId").asText("");
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Runtime.executionContextCreated" -> {
                JsonNode context = params.path("context");
                contexts.put(context.path("id").asText() + "@" + session, new String[] {session,
                        context.path("auxData").path("frameId").asText()});
            }
            case "Runtime.executionContextDestroyed" -> contexts.remove(params.path("executionContextId").asText() + "@" + session);
            case "Target.targetInfoChanged" -> frameUrls.computeIfPresent(params.path("targetInfo").path("targetId").asText(),
                    (frame, old) -> params.path("targetInfo").path("url").asText());
            case "Page.frameNavigated" -> frameUrls.put(params.path("frame").path("id").asText(), params.path("frame").path("url").asText());
            case "Runtime.consoleAPICalled" -> {
                if (params.path("type").asText().equals("error") || params.path("type").asText().equals("assert")) {
                    List<String> args = new ArrayList<>();
                    params.path("args").forEach(a -> args.add(a.path("value").asText(a.path("description").asText())));
                    consoleErrors.add("console.error: " + String.join(" ", args));
                }
            }
            case "Runtime.exceptionThrown" -> consoleErrors.add("exception: " + params.path("exceptionDetails").path("exception")
                    .path("description").asText(params.path("exceptionDetails").path("text").asText()));
            case "Log.entryAdded" -> {
                if (params.path("entry").path("level").asText().equals("error")) {
                    consoleErrors.add("log: " + params.path("entry").path("text").asText() + " (" + params.path("entry").path("url").asText() + ")");
                }
            }
            case "Target.attachedToTarget" -> {
                String child = params.path("sessionId").asText();
                // an out-of-process frame: its contexts' frame id is the target id, its URL may be loaded already
                frameUrls.put(params.path("targetInfo").path("targetId").asText(), params.path("targetInfo").path("url").asText());
                CompletableFuture.runAsync(() -> {
                    try {
                        enable(child);
                        call(child, "Runtime.runIfWaitingForDebugger", Map.of());
                    } catch (Exception e) {
                        consoleErrors.add("cdp: cannot attach to a frame: " + e.getMessage());
                    }
                });
            }
            default -> {
                // other events are not needed
            }
        }
    }

    /** Context ids are per session: the key is "id@session"; evaluation uses the id. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    onMessage(JSON.readTree(text));
                } catch (IOException e) {
                    consoleErrors.add("cdp: unreadable message: " + e.getMessage());
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // the browser is killed below anyway
        }
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
