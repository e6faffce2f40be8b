#pragma once

#include <chrono>
#include <functional>

// Monotonic time for the API's abuse controls; only differences matter. Injectable, so that
// tests move time by hand instead of sleeping. Called from every API thread at once.
using ApiClock = std::function<std::chrono::milliseconds()>;

inline ApiClock steadyApiClock()
{
    return [] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now().time_since_epoch());
    };
}
