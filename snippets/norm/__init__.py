"""Chapter 归一化与正则化: input scaling, BatchNorm and its family, dropout, L1/L2, over/underfitting."""
