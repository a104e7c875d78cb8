//! Steering: launch azimuth, vertical rise, pitch-over, gravity turn and steering laws.
