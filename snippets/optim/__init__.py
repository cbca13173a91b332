"""Chapter 优化与训练: optimizers, EMA, learning-rate schedules, batch size, initialization."""
