# Warnings every target in the tree gets; RKT_WERROR (set by CI) makes them errors.
add_compile_options(-Wall -Wextra -Wshadow=local -Wnon-virtual-dtor -Wformat=2 -Wno-unused-parameter)
if(RKT_WERROR)
  add_compile_options(-Werror)
endif()
