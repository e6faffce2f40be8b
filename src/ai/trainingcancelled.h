#pragma once

#include <exception>
#include <stop_token>

// Thrown by a training whose stop was requested (the program is closing): what it had done is
// thrown away, and nothing is stored.
class TrainingCancelled final : public std::exception
{
public:
    const char *what() const noexcept override { return "training cancelled"; }

    static void throwIfRequested(const std::stop_token &stop)
    {
        if (stop.stop_requested())
            throw TrainingCancelled();
    }
};
