package org.uactn.core.optim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the flat {"key": [numbers...]} JSON files written by src/test/python/make_optim_fixtures.py. */
final class Fixtures {
    private static final Pattern ENTRY = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\[([^\\]]*)\\]");

    private final Map<String, double[]> values = new LinkedHashMap<>();
    private final String file;

    Fixtures(String resource) {
        this.file = resource;
        String text;
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/optim/" + resource)) {
            if (in == null) throw new IllegalStateException("missing fixture " + resource);
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Matcher m = ENTRY.matcher(text);
        while (m.find()) {
            String body = m.group(2).trim();
            String[] parts = body.isEmpty() ? new String[0] : body.split(",");
            double[] v = new double[parts.length];
            for (int i = 0; i < v.length; i++) v[i] = Double.parseDouble(parts[i].trim());
            values.put(m.group(1), v);
        }
        if (values.isEmpty()) throw new IllegalStateException("no entries in fixture " + resource);
    }

    double[] get(String key) {
        double[] v = values.get(key);
        if (v == null) throw new IllegalArgumentException("fixture " + file + " has no key " + key);
        return v;
    }

    boolean has(String key) { return values.containsKey(key); }
}
