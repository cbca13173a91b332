"""Chapter 卷积神经网络: convolution, output sizes, parameters and FLOPs, receptive fields, pooling."""
