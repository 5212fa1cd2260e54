# troupe_add_subdirectories(dir...) : adds each listed subdirectory that has a CMakeLists.txt.
macro(troupe_add_subdirectories)
  foreach(_troupe_dir ${ARGN})
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_troupe_dir}/CMakeLists.txt)
      add_subdirectory(${_troupe_dir})
    endif()
  endforeach()
endmacro()
