<#
    Every call the generated module makes to a VMM cmdlet binds as the real cmdlet would: its named parameters
    exist (by name, alias or unambiguous prefix, resolved on the generated VMM stubs, which carry Microsoft's
    published signatures), they belong to one parameter set together with the positional arguments, and -
    where nothing is splatted or piped in - that set gets all its mandatory parameters. Static: found on the
    AST of generated/VmmBackup, so calls on code paths no test reaches are checked too.
#>

BeforeDiscovery {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $reference = Get-Content -Raw -Path (Join-Path $repoRoot 'src/model/reference/vmm-cmdlets.json') | ConvertFrom-Json
    $vmmCmdlets = @($reference.cmdlets.PSObject.Properties.Name)
    $generated = Join-Path $repoRoot 'generated'
    $files = @(Get-ChildItem -Path (Join-Path $generated 'VmmBackup') -Recurse -File -Include '*.ps1', '*.psm1' -ErrorAction SilentlyContinue | Sort-Object FullName)

    $callCases = foreach ($file in $files) {
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
        $commands = $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)
        foreach ($command in $commands) {
            $name = $command.GetCommandName()
            if (-not $name -or $vmmCmdlets -notcontains $name) { continue }
            $elements = foreach ($element in @($command.CommandElements | Select-Object -Skip 1)) {
                if ($element -is [System.Management.Automation.Language.CommandParameterAst]) {
                    @{ Kind = 'Parameter'; Name = $element.ParameterName; Inline = ($null -ne $element.Argument) }
                } elseif ($element -is [System.Management.Automation.Language.VariableExpressionAst] -and $element.Splatted) {
                    @{ Kind = 'Splat'; Name = $element.VariablePath.UserPath; Inline = $false }
                } else {
                    @{ Kind = 'Argument'; Name = $element.Extent.Text; Inline = $false }
                }
            }
            $pipeline = $command.Parent
            $piped = $pipeline -is [System.Management.Automation.Language.PipelineAst] -and $pipeline.PipelineElements.IndexOf($command) -gt 0
            @{
                Cmdlet   = $name
                Where    = '{0}:{1}' -f $file.FullName.Substring($generated.Length + 1).Replace('\', '/'), $command.Extent.StartLineNumber
                Text     = ($command.Extent.Text -split "`r?`n")[0]
                Elements = @($elements)
                Piped    = $piped
            }
        }
    }
}

BeforeAll {
    $repoRoot = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
    $outRoot = Join-Path $repoRoot 'generated'
    if ($env:VMM_STUB_ROOT) { $outRoot = $env:VMM_STUB_ROOT }
    Get-Module VirtualMachineManager | Remove-Module -Force
    Import-Module (Join-Path $outRoot 'stubs/VirtualMachineManager/VirtualMachineManager.psd1') -Force -ErrorAction Stop
    $commonParameters = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)

    # What PowerShell's binder would say about a call, from its command elements: $null when it binds, else why not.
    function Get-BindingProblem {
        param([string] $Cmdlet, [object[]] $Elements, [bool] $Piped)
        $command = Get-Command -Name $Cmdlet -Module VirtualMachineManager -ErrorAction Stop
        $named = @()
        $positional = 0
        $splatted = $false
        for ($i = 0; $i -lt $Elements.Count; $i++) {
            $element = $Elements[$i]
            if ($element.Kind -eq 'Splat') { $splatted = $true; continue }
            if ($element.Kind -eq 'Argument') { $positional++; continue }
            try {
                $parameter = $command.ResolveParameter($element.Name)
            } catch {
                return "-$($element.Name): $($_.Exception.InnerException.Message)"
            }
            if (-not $parameter) { return "-$($element.Name): no such parameter" }
            if ($commonParameters -notcontains $parameter.Name) { $named += $parameter.Name }
            # A non-switch parameter takes the next element as its argument unless given as -Name:value.
            if ($parameter.SwitchParameter -eq $false -and -not $element.Inline) {
                if ($i + 1 -ge $Elements.Count) { return "-$($element.Name) has no argument" }
                $i++
            }
        }
        if ($named.Count -ne @($named | Select-Object -Unique).Count) { return 'a parameter is given twice' }

        $reasons = @()
        foreach ($set in $command.ParameterSets) {
            $inSet = @($set.Parameters | ForEach-Object { $_.Name })
            $foreign = @($named | Where-Object { $inSet -notcontains $_ })
            if ($foreign.Count -gt 0) { $reasons += "set $($set.Name) lacks -$($foreign -join ', -')"; continue }
            $open = @($set.Parameters | Where-Object { $_.Position -ge 0 -and $named -notcontains $_.Name } | Sort-Object Position)
            if ($positional -gt $open.Count) { $reasons += "set $($set.Name) takes $($open.Count) positional argument(s), not $positional"; continue }
            if (-not $splatted -and -not $Piped) {
                $bound = $named + @($open | Select-Object -First $positional | ForEach-Object { $_.Name })
                $missing = @($set.Parameters | Where-Object { $_.IsMandatory -and $bound -notcontains $_.Name } | ForEach-Object { $_.Name })
                if ($missing.Count -gt 0) { $reasons += "set $($set.Name) also needs -$($missing -join ', -')"; continue }
            }
            return $null
        }
        return ($reasons -join '; ')
    }
}

AfterAll {
    Get-Module VirtualMachineManager | Remove-Module -Force
}

Describe 'The binding check itself' {
    It 'accepts <Text>' -ForEach @(
        @{ Text = 'Backup-SCVMMServer -Path $p -VMMServer $s'; Cmdlet = 'Backup-SCVMMServer'; Elements = @(@{ Kind = 'Parameter'; Name = 'Path' }, @{ Kind = 'Argument' }, @{ Kind = 'Parameter'; Name = 'VMMServer' }, @{ Kind = 'Argument' }); Piped = $false }
        @{ Text = 'Get-SCVMMServer vmm01 -Port 8100 -ErrorAction Stop'; Cmdlet = 'Get-SCVMMServer'; Elements = @(@{ Kind = 'Argument' }, @{ Kind = 'Parameter'; Name = 'Port' }, @{ Kind = 'Argument' }, @{ Kind = 'Parameter'; Name = 'ErrorAction' }, @{ Kind = 'Argument' }); Piped = $false }
        @{ Text = '... | Read-SCVMHost'; Cmdlet = 'Read-SCVMHost'; Elements = @(); Piped = $true }
        @{ Text = 'Remove-SCVMHost @splat -Force'; Cmdlet = 'Remove-SCVMHost'; Elements = @(@{ Kind = 'Splat' }, @{ Kind = 'Parameter'; Name = 'Force' }); Piped = $false }
        @{ Text = 'Get-SCJob -All:$true'; Cmdlet = 'Get-SCJob'; Elements = @(@{ Kind = 'Parameter'; Name = 'All'; Inline = $true }); Piped = $false }
    ) {
        $normalized = @($Elements | ForEach-Object { @{ Kind = $_.Kind; Name = $_.Name; Inline = [bool]$_['Inline'] } })
        Get-BindingProblem -Cmdlet $Cmdlet -Elements $normalized -Piped $Piped | Should -BeNullOrEmpty
    }

    It 'rejects <Text> (<Expected>)' -ForEach @(
        @{ Text = 'Backup-SCVMMServer -Destination $p'; Expected = 'cannot be found'; Cmdlet = 'Backup-SCVMMServer'; Elements = @(@{ Kind = 'Parameter'; Name = 'Destination' }, @{ Kind = 'Argument' }); Piped = $false }
        @{ Text = 'Backup-SCVMMServer -VMMServer $s'; Expected = 'needs -Path'; Cmdlet = 'Backup-SCVMMServer'; Elements = @(@{ Kind = 'Parameter'; Name = 'VMMServer' }, @{ Kind = 'Argument' }); Piped = $false }
        @{ Text = 'Backup-SCVMMServer $p'; Expected = 'positional'; Cmdlet = 'Backup-SCVMMServer'; Elements = @(@{ Kind = 'Argument' }); Piped = $true }
        @{ Text = 'Get-SCJob -All -Newest 5'; Expected = 'lacks'; Cmdlet = 'Get-SCJob'; Elements = @(@{ Kind = 'Parameter'; Name = 'All' }, @{ Kind = 'Parameter'; Name = 'Newest' }, @{ Kind = 'Argument' }); Piped = $false }
        @{ Text = 'Get-SCJob -N x'; Expected = 'ambiguous'; Cmdlet = 'Get-SCJob'; Elements = @(@{ Kind = 'Parameter'; Name = 'N' }, @{ Kind = 'Argument' }); Piped = $false }
        @{ Text = 'Backup-SCVMMServer -Path $p -WhatIf'; Expected = 'WhatIf'; Cmdlet = 'Backup-SCVMMServer'; Elements = @(@{ Kind = 'Parameter'; Name = 'Path' }, @{ Kind = 'Argument' }, @{ Kind = 'Parameter'; Name = 'WhatIf' }); Piped = $false }
    ) {
        $normalized = @($Elements | ForEach-Object { @{ Kind = $_.Kind; Name = $_.Name; Inline = [bool]$_['Inline'] } })
        Get-BindingProblem -Cmdlet $Cmdlet -Elements $normalized -Piped $Piped | Should -BeLike "*$Expected*"
    }
}

Describe 'VMM cmdlet calls in the generated module' {
    It 'finds calls to check' -ForEach @{ Count = @($callCases).Count } {
        $Count | Should -BeGreaterThan 0
    }

    It '<Where>: <Text>' -ForEach $callCases {
        Get-BindingProblem -Cmdlet $Cmdlet -Elements $Elements -Piped $Piped | Should -BeNullOrEmpty
    }
}
