"""Chapter 损失函数与输出层: softmax, maximum likelihood, cross-entropy vs MSE."""
