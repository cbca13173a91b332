"""Chapter 基础与反向传播: MLPs, activations, backpropagation, vanishing and exploding gradients."""
