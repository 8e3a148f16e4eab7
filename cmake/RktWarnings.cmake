# Warnings every target in the tree gets; RKT_WERROR (set by CI) makes them errors.
add_compile_options(-Wall -Wextra -Wshadow=local -Wformat=2 -Wno-unused-parameter
                    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>)
if(RKT_WERROR)
  add_compile_options(-Werror)
endif()
