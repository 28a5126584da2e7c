"""`make bench` and `make soak`: measured speed, scale, robustness and answer quality."""
