// Times the ResNet conv step on request, for a driver (cli/src/bench/conv_vs_torch.py) that alternates
// short rounds of this engine and of PyTorch in lock step, because the machine's speed drifts.
package org.uactn.cli.jmh;

import org.uactn.core.backend.cpu.Parallel;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Protocol on stdin/stdout, one line each: "run R" runs R steps and answers the mean seconds per
 * step; "quit" exits. Starts by printing "ready FLOPS" once the problem is built.
 * Usage: ConvRoundServer [threads]
 */
public final class ConvRoundServer {
    private ConvRoundServer() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        Parallel.setThreads(threads);
        ConvProblem p = ConvProblem.resnet();
        System.out.println("ready " + p.flops());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            line = line.trim();
            if (line.equals("quit")) break;
            if (!line.startsWith("run ")) {
                System.out.println("error unknown command '" + line + "'");
                System.out.flush();
                continue;
            }
            int reps = Integer.parseInt(line.substring(4).trim());
            long t0 = System.nanoTime();
            for (int i = 0; i < reps; i++) p.step();
            double secs = (System.nanoTime() - t0) / 1e9 / reps;
            System.out.println(secs);
            System.out.flush();
        }
    }
}
