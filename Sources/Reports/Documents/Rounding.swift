import SpaceCore

/// Square metres (and yuan) to two decimals, as every report file rounds them.
func m2(_ x: Double) -> Double { rounded(x, decimals: 2) }
