// Profiler ranges: Module.call opens one range per layer (named by path and type) and closes it,
// forward alone opens none, optimiser steps are marked, and nothing is reported while off.
package org.uactn.core.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.uactn.core.nn.Linear;
import org.uactn.core.nn.ReLU;
import org.uactn.core.nn.Sequential;
import org.uactn.core.optim.SGD;
import org.uactn.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProfilerTest {
    /** Records "+name" on push and "-" on pop. */
    private static final class Recorder implements Profiler.Hook {
        final List<String> events = new ArrayList<>();

        @Override public void push(String name) { events.add("+" + name); }

        @Override public void pop() { events.add("-"); }

        @Override public String describe() { return "recorder"; }
    }

    @AfterEach
    void off() { Profiler.install(null); }

    @Test
    void callWrapsEveryLayerInANamedRange() {
        Sequential model = new Sequential(new Linear(3, 4), new ReLU(), new Sequential(new Linear(4, 2)));
        Recorder r = new Recorder();
        Profiler.install(r);
        assertEquals("recorder", Profiler.describe());
        Tensor y = model.call(Tensor.zeros(2, 3));
        assertEquals(List.of(2, 2), List.of(y.size(0), y.size(1)));
        assertEquals(List.of("+Sequential", "+0 Linear", "-", "+1 ReLU", "-", "+2 Sequential", "+2.0 Linear", "-", "-", "-"), r.events);
        r.events.clear();
        model.get(0).forward(Tensor.zeros(2, 3));
        assertEquals(List.of(), r.events, "forward itself opens no range");
    }

    @Test
    void rangesCloseWhenTheLayerThrows() {
        Recorder r = new Recorder();
        Profiler.install(r);
        Linear l = new Linear(3, 4);
        assertThrows(IllegalArgumentException.class, () -> l.call(Tensor.zeros(2, 5)));
        assertEquals(List.of("+Linear", "-"), r.events);
    }

    @Test
    void optimiserStepsAreMarked() {
        Recorder r = new Recorder();
        Profiler.install(r);
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        p.setGrad(Tensor.ones(3));
        new SGD(List.of(p), 0.1).step();
        assertEquals(List.of("+SGD step", "-"), r.events);
        try (var range = Profiler.range("phase")) {
            r.events.add("body");
        }
        assertEquals(List.of("+SGD step", "-", "+phase", "body", "-"), r.events);
    }

    @Test
    void offMeansNothingIsReported() {
        Profiler.install(null);
        assertFalse(Profiler.enabled());
        Profiler.push("x");
        Profiler.pop();
        try (var range = Profiler.range("y")) {
            assertEquals("off", Profiler.describe());
        }
    }
}
