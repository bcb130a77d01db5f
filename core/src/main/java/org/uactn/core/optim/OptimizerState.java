// The serialisable state of an optimiser: per-parameter tensors plus each group's hyper-parameters.
package org.uactn.core.optim;

import org.uactn.core.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * tensors: "state.&lt;paramIndex&gt;.&lt;name&gt;" (momentum_buffer, exp_avg, exp_avg_sq,
 * max_exp_avg_sq, and step as a 0-d float32 tensor as in PyTorch), where paramIndex counts
 * parameters across groups in order. groups: one map per group with its options and "params",
 * the list of its parameter indices, mirroring PyTorch's optimizer state_dict layout.
 */
public record OptimizerState(Map<String, Tensor> tensors, List<Map<String, Object>> groups) {
    public OptimizerState {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        groups = groups.stream().<Map<String, Object>>map(g -> Collections.unmodifiableMap(new LinkedHashMap<>(g))).toList();
    }
}
