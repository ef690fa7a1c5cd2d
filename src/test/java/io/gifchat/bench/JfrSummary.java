package io.gifchat.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** CPU hot spots of a JFR recording: self time by method, and inclusive time of the app's and Spring's methods. */
final class JfrSummary {

    private JfrSummary() {
    }

    static List<String> summarize(Path jfr, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> inclusive = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            String thread = e.getThread("sampledThread") == null ? "?"
                    : e.getThread("sampledThread").getJavaName().replaceAll("-\\d+$", "-N");
            threads.merge(thread, 1, Integer::sum);
            self.merge(name(st.getFrames().get(0)), 1, Integer::sum);
            Set<String> seen = new HashSet<>();
            for (RecordedFrame f : st.getFrames()) {
                String n = name(f);
                if ((n.startsWith("io.gifchat.") || n.startsWith("org.springframework.")) && seen.add(n)) {
                    inclusive.merge(n, 1, Integer::sum);
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add("JFR " + jfr + ": " + samples + " execution samples");
        out.add("  by thread:");
        addTop(out, threads, samples, 8);
        out.add("  self (top frame):");
        addTop(out, self, samples, top);
        out.add("  inclusive, io.gifchat.* and org.springframework.* methods:");
        addTop(out, inclusive, samples, top);
        return out;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void addTop(List<String> out, Map<String, Integer> counts, int samples, int top) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(e -> out.add(String.format(Locale.ROOT, "    %5.1f%%  %s",
                        100.0 * e.getValue() / Math.max(1, samples), e.getKey())));
    }
}
