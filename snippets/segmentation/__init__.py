"""Code of the chapter 图像分割 (semantic, instance and panoptic segmentation)."""
