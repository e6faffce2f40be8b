#pragma once

// liblinear reports its iterations on standard output unless told otherwise, which would corrupt
// `train --json`. Call before training; once per process is enough, and more is harmless.
class LiblinearOutput final
{
public:
    static void silence();
};
