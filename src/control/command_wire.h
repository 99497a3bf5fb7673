// Inside the control protocol: every show command's wire form — its name, the fields it
// takes, how they become a show::Command and how a Command becomes them again. The
// one table both directions read, so a command cannot be added to one and not the other.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "show/commands.h"

namespace hallcast::control {

// The show command named `name` read from the request `object` (which holds "cmd" and
// perhaps "id"); nullopt when there is no command of that name. Throws Refusal for a
// field that is missing, unknown, of the wrong type or out of range.
std::optional<show::Command> read_show_command(std::string_view name, const nlohmann::json& object);

// {"cmd": NAME, …fields}: what read_show_command reads back as `command`.
nlohmann::json command_to_json(const show::Command& command);

std::string_view show_command_name(const show::Command& command);

// The fields a command takes besides id and cmd; unused places are empty.
using FieldNames = std::array<std::string_view, 5>;

// Refuses any field of `object` besides id, cmd and those of `fields` (and, with
// `forms`, a lower third's name_XX and role_XX).
void check_fields(const nlohmann::json& object, std::string_view command, const FieldNames& fields,
                  bool forms = false);

}  // namespace hallcast::control
