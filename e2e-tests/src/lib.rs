//! End-to-end tests live here (see issue: e2e on a real chain).
