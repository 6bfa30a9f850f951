(module (func i8x16.extract_lane_s))
