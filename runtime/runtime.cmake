# CAF-free pieces first, so that engines and adapters can use them without linking CAF.
troupe_add_component(troupe_metrics
  SOURCES metrics.cpp)

troupe_add_component(troupe_config
  SOURCES config_loader.cpp config_reader.cpp config_sections.cpp config_sim_strategies.cpp
  DEPENDS troupe_messages yaml-cpp tl::expected)

troupe_add_component(troupe_logging
  SOURCES logging.cpp
  DEPENDS spdlog::spdlog tl::expected)

# CAF plumbing: type registration, topic bus, actor directory, supervisors.
troupe_add_component(troupe_runtime
  SOURCES type_ids.cpp topic_bus.cpp actor_directory.cpp supervisor.cpp
  DEPENDS troupe_metrics troupe_config troupe_logging troupe_messages troupe::caf spdlog::spdlog)
