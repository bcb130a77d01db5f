// Reading and writing the files the `uactn model` and `uactn bench` commands work with, turning
// every I/O problem into an IllegalArgumentException that names the file (exit code 2, no trace).
package org.uactn.cli.model;

import org.uactn.core.io.Npy;
import org.uactn.core.io.Safetensors;
import org.uactn.core.io.pth.PthReader;
import org.uactn.core.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

public final class ModelFiles {
    private ModelFiles() {}

    /**
     * A state dict from a PyTorch zip checkpoint or a safetensors file. The format is told by the
     * first bytes, not the name, so that a renamed file still loads.
     */
    public static Map<String, Tensor> readWeights(Path file) {
        try {
            checkReadable(file, "weights file");
            byte[] head = new byte[2];
            try (InputStream in = Files.newInputStream(file)) {
                if (in.readNBytes(head, 0, 2) < 2) throw new IllegalArgumentException("weights file " + file + ": too short to be a checkpoint");
            }
            // Every .pth since PyTorch 1.6 is a zip archive ("PK"); the legacy format starts with a pickle
            // opcode (0x80) and PthReader refuses it with its own message.
            boolean pth = (head[0] == 'P' && head[1] == 'K') || (head[0] & 0xff) == 0x80;
            return pth ? PthReader.read(file) : Safetensors.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("weights file " + file + ": " + describe(e, file));
        }
    }

    public static Tensor readNpy(Path file, String role) {
        try {
            checkReadable(file, role);
            return Npy.read(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(role + " " + file + ": " + describe(e, file));
        }
    }

    public static void writeNpy(Path file, Tensor t) {
        try {
            Npy.write(file, t);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + describe(e, file));
        }
    }

    public static void writeSafetensors(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        try {
            Safetensors.write(file, tensors, metadata);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + describe(e, file));
        }
    }

    private static void checkReadable(Path file, String role) {
        if (!Files.exists(file)) throw new IllegalArgumentException(role + " " + file + " does not exist");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(role + " " + file + " is a directory, not a file");
    }

    /** The exception's message without repeating the path (NoSuchFileException's message is only the path). */
    private static String describe(IOException e, Path file) {
        if (e instanceof NoSuchFileException) return "no such file or directory";
        if (e instanceof AccessDeniedException) return "permission denied";
        String msg = e.getMessage();
        if (msg == null) return e.getClass().getSimpleName();
        return msg.equals(file.toString()) ? e.getClass().getSimpleName() : msg;
    }
}
