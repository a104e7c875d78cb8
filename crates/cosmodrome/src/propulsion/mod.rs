//! Propulsion fundamentals: ideal delta-v budgets per stage and per vehicle.
