#include "liblinearoutput.h"

#include <linear.h>
#include <mutex>

void LiblinearOutput::silence()
{
    static std::once_flag once;
    std::call_once(once, [] { set_print_string_function([](const char *) {}); });
}
