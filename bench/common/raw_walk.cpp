#include "bench/common/raw_walk.hpp"

#include <string_view>
#include <utility>

namespace troupe::bench {
namespace {

namespace od = simdjson::ondemand;

simdjson::error_code walk_value(od::value value, std::size_t& seen);

simdjson::error_code walk_object(od::object object, std::size_t& seen) {
  for (auto entry : object) {
    od::field field;
    if (auto error = std::move(entry).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    seen += key.size();
    if (auto error = walk_value(field.value(), seen)) return error;
  }
  return simdjson::SUCCESS;
}

simdjson::error_code walk_value(od::value value, std::size_t& seen) {
  od::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (auto error = value.get_object().get(object)) return error;
      return walk_object(object, seen);
    }
    case od::json_type::array: {
      od::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        od::value item;
        if (auto error = std::move(element).get(item)) return error;
        if (auto error = walk_value(item, seen)) return error;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return error;
      seen += text.size();
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      double number = 0;
      if (auto error = value.get_double().get(number)) return error;
      seen += number != 0 ? 1 : 0;
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (auto error = value.get_bool().get(flag)) return error;
      seen += flag ? 1 : 0;
      return simdjson::SUCCESS;
    }
    case od::json_type::null:
      seen += value.is_null() ? 1 : 0;
      return simdjson::SUCCESS;
  }
  return simdjson::SUCCESS;
}

}  // namespace

simdjson::error_code raw_walk(od::parser& parser, simdjson::padded_string_view frame,
                              std::size_t& seen) {
  od::document doc;
  if (auto error = parser.iterate(frame).get(doc)) return error;
  od::object root;
  if (auto error = doc.get_object().get(root)) return error;
  return walk_object(root, seen);
}

}  // namespace troupe::bench
