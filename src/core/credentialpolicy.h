#pragma once

#include <QString>
#include <QStringView>

// The rules for names of users and tokens and for passwords, checked where they are chosen
// (the command line, the window, the API). Each returns what is wrong, or an empty string.
namespace CredentialPolicy {

inline constexpr int kMaxNameLength = 64;
inline constexpr int kMinPasswordLength = 10;
inline constexpr int kMaxPasswordLength = 1024;

// Letters, digits, '.', '_', '-' and '@'; no colon, so "token:key" stays unambiguous.
QString nameProblem(QStringView name);
QString passwordProblem(QStringView userName, QStringView password);

} // namespace CredentialPolicy
