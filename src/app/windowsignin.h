#pragma once

#include "commandline.h"
#include "useraccount.h"

#include <variant>

class TicketService;

// Who the window opens for. A one-person console on SQLite belongs to the operating-system
// account, its admin, with no password asked; a shared PostgreSQL database asks for a name and
// password in the sign-in dialog; --user signs in without the dialog (scripts, tests).
class WindowSignIn final
{
public:
    // The signed-in account, or the exit code when nobody signed in: 1 after a refusal, a
    // disabled desktop owner or a database failure (the reason is on standard error), 0 when
    // the person closed the dialog.
    static std::variant<UserAccount, int> run(const CommandLine &commandLine,
                                              TicketService &tickets);
};
